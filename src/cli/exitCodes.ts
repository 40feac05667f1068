import type { FailureKind } from '../domain/errors.js';

/** The documented exit codes; README.md and --help print this table. */
export const EXIT_CODES = {
  success: 0,
  internal: 1,
  usage: 2,
  plan: 3,
  rollback: 4,
  unhealthy: 5,
  'restore-failed': 6,
  'interrupted-sigint': 130,
  'interrupted-sigterm': 143,
} as const satisfies Record<FailureKind | 'success', number>;

export function exitCodeFor(kind: FailureKind): number {
  return EXIT_CODES[kind];
}

export const EXIT_CODE_HELP = `Exit codes:
  0    success (dry-run planned, or every planned release rolled back and
       healthy)
  1    unexpected internal error
  2    usage, input or guard refusal (nothing touched)
  3    planning refused: release not found, pending operation, no eligible
       revision, cluster unreachable, every release skipped, an approved --plan
       that no longer matches the cluster or is older than --plan-max-age
       (nothing touched)
  4    a rollback command failed (cluster may be partially rolled back: see
       summary; with --atomic, 4 and 5 mean the changed releases were restored)
  5    rolled back, but a rollout or --check-url did not become healthy within
       the budget
  6    --atomic: the restore of the releases already changed failed too; the
       summary lists the exact commands a human must run
  130  interrupted (SIGINT)     143  interrupted (SIGTERM)`;
