import type { FakeCall, FakeRule } from '../support/fakeTools.js';

export function startsWith(words: readonly string[], prefix: readonly string[]): boolean;
export function matches(rule: FakeRule, tool: string, argv: readonly string[], earlier: readonly Pick<FakeCall, 'tool' | 'argv'>[]): boolean;
