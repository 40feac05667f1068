import { Chalk, type ChalkInstance } from 'chalk';

export interface StreamInfo {
  readonly isTTY: boolean;
}

/**
 * Colour only on a terminal, never when NO_COLOR is set to anything non-empty
 * (no-color.org) or TERM is dumb: CI logs must not carry escape codes.
 */
export function colourEnabled(stream: StreamInfo, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
