import { usageError } from './errors.js';
import { showInput } from './names.js';

/**
 * The characters that may follow TARGET_ENV in a context name: `prod-eu-west-1` admits
 * `prod-eu-west-1`, `prod-eu-west-1-admin` and `prod-eu-west-1@ops`, never `prod-eu-west-10-admin`.
 */
const CONTEXT_SEPARATORS = ['-', '_', '.', ':', '@', '/'];

/** Whether `context` names the environment `targetEnv`: equal to it, or it and a separator, then anything. */
export function contextInTargetEnv(context: string, targetEnv: string): boolean {
  if (context === targetEnv) return true;
  return context.startsWith(targetEnv) && CONTEXT_SEPARATORS.includes(context.charAt(targetEnv.length));
}

/** The guard the drill asked for: a context outside TARGET_ENV is the wrong cluster. */
export function checkTargetEnv(context: string, targetEnv: string | undefined): void {
  if (targetEnv !== undefined && !contextInTargetEnv(context, targetEnv)) {
    throw usageError(
      `context ${showInput(context)} does not belong to TARGET_ENV ${showInput(targetEnv)} ` +
        `(it must equal it, or start with it followed by one of ${CONTEXT_SEPARATORS.join(' ')}); refusing`,
      'check --context / KUBE_CONTEXT and --target-env / TARGET_ENV',
    );
  }
}

/** The warning an --execute without TARGET_ENV gets, on stderr and in the transcript. */
export const NO_TARGET_ENV_WARNING =
  'no TARGET_ENV (or --target-env): nothing checks that the context is the environment you mean; ' +
  'set "requireTargetEnv": true in the config file to refuse such runs';
