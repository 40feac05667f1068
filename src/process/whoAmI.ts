import { userInfo } from 'node:os';

/** The operator's user name, for the transcript, plan documents and annotations. */
export function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
