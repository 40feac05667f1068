/**
 * helm's release statuses (helm.sh/helm/v3/pkg/release/status.go). A safe rollback
 * target is one that was running fine: `superseded` (replaced by a later revision)
 * or `deployed` (after a failed upgrade the previous revision stays `deployed`).
 * That is the choice helm's own `upgrade --atomic` and Flux's helm-controller make.
 */
export const ELIGIBLE_TARGET_STATUSES: ReadonlySet<string> = new Set(['superseded', 'deployed']);

/** A `pending-*` current revision means another helm operation may still be running. */
export const PENDING_STATUSES: ReadonlySet<string> = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);

export function whyIneligible(status: string): string {
  switch (status) {
    case 'failed':
      return 'its deploy failed';
    case 'pending-install':
    case 'pending-upgrade':
    case 'pending-rollback':
      return 'it never finished (still pending)';
    case 'uninstalled':
    case 'uninstalling':
      return 'it was uninstalled';
    default:
      return `status "${status}" is not a known good state`;
  }
}
