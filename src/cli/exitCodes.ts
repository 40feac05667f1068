export { EXIT_CODES, exitCodeFor } from '../domain/outcome.js';

export const EXIT_CODE_HELP = `Exit codes:
  0    success (dry-run planned, or every release rolled back and healthy
       now, or already rolled back before: no write)
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
