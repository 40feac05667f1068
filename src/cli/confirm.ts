import { createInterface } from 'node:readline/promises';

/** Asks on the terminal; only an explicit "yes" (or "y") goes ahead. */
export async function askConfirmation(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: true });
  try {
    const answer = await rl.question(question);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
