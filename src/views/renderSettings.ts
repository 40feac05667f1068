import type { ChalkInstance } from 'chalk';
import type { Setting, Settings } from '../domain/settings.js';
import { escapeControls } from '../domain/sanitize.js';

function shown(setting: Setting<unknown>): string {
  const { value } = setting;
  if (value === null) return '(unset)';
  // Values come from flags, the environment and the config file: escaped before shown.
  return escapeControls(Array.isArray(value) ? value.join(', ') : String(value));
}

function origin(setting: Setting<unknown>): string {
  switch (setting.source) {
    case 'flag':
    case 'env':
      return `from ${setting.from ?? setting.source}`;
    case 'file':
      return `from config file ${setting.from ?? ''}`;
    case 'kubeconfig':
      return `from the kubeconfig's current-context`;
    case 'plan':
      return `from the approved plan ${setting.from ?? ''}`;
    case 'default':
      return 'built-in default';
    case 'unset':
      return 'not set';
  }
}

/** For --dry-run: each effective value and where it came from (flags > environment > file > defaults). */
export function renderSettings(settings: Settings, c: ChalkInstance): string {
  const rows = Object.entries(settings) as [string, Setting<unknown>][];
  const width = Math.max(...rows.map(([, s]) => shown(s).length));
  return (
    `${c.bold('Settings')} (flags > environment > config file > built-in defaults):\n` +
    rows.map(([key, s]) => `  ${key.padEnd(13)} ${shown(s).padEnd(width)}  ${c.dim(escapeControls(origin(s)))}\n`).join('') +
    '\n'
  );
}
