export type ContextSource = 'flag' | 'env' | 'file' | 'kubeconfig' | 'plan';

/** Where an effective value came from: flags > environment > config file > built-in defaults. */
export type ValueSource = 'flag' | 'env' | 'file' | 'default' | 'kubeconfig' | 'unset' | 'plan';

export interface Setting<T> {
  readonly value: T;
  readonly source: ValueSource;
  /** The flag (`--namespace`), variable (`$KUBE_CONTEXT`) or file path; null for defaults and unset. */
  readonly from: string | null;
}

/** The values a config file can default, each with its origin; --dry-run and --output json show them. */
export interface Settings {
  readonly releases: Setting<readonly string[]>;
  readonly namespace: Setting<string | null>;
  readonly context: Setting<string | null>;
  readonly targetEnv: Setting<string | null>;
  readonly timeout: Setting<string>;
  readonly transcriptDir: Setting<string>;
}
