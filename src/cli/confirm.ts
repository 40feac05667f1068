import { createInterface } from 'node:readline/promises';

/**
 * Asks on the terminal; only an explicit "yes" (or "y") goes ahead. readline owns
 * the terminal while it asks, so Ctrl-C arrives as its 'SIGINT' event, not as a
 * process signal: hand it to the process's handlers, which abort `signal`, and the
 * question resolves as declined.
 */
export async function askConfirmation(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: true });
  rl.on('SIGINT', () => process.emit('SIGINT', 'SIGINT'));
  try {
    const answer = await rl.question(question, signal === undefined ? {} : { signal });
    return /^(y|yes)$/i.test(answer.trim());
  } catch (error) {
    if (signal?.aborted === true) return false;
    throw error;
  } finally {
    rl.close();
  }
}
