import { usageError } from './errors.js';
import { showInput } from './names.js';

/** The guard the drill asked for: a context outside TARGET_ENV is the wrong cluster. */
export function checkTargetEnv(context: string, targetEnv: string | undefined): void {
  if (targetEnv !== undefined && !context.startsWith(targetEnv)) {
    throw usageError(
      `context ${showInput(context)} does not belong to TARGET_ENV ${showInput(targetEnv)} (its name must start with it); refusing`,
      'check --context / KUBE_CONTEXT and --target-env / TARGET_ENV',
    );
  }
}
