import { describe, expect, it } from 'vitest';
import { contextProblem, namespaceProblem, releaseNameProblem } from '../../src/domain/names.js';

describe('release names', () => {
  it.each(['videokit-api', 'a', 'a.b-c', '0abc', 'x'.repeat(53)])('accepts %s', (name) => {
    expect(releaseNameProblem(name)).toBeUndefined();
  });
  it.each([
    ['', /empty/],
    ['Videokit', /not a valid Helm release name/],
    ['x;touch /tmp/pwned', /not a valid/],
    ['-rf', /not a valid/],
    ['api-', /not a valid/],
    ['a b', /not a valid/],
    ['vidéo', /not a valid/],
    ['x'.repeat(54), /54 characters long; helm allows at most 53/],
  ])('refuses %j', (name, message) => expect(releaseNameProblem(name)).toMatch(message));
});

describe('namespaces', () => {
  it('accepts a DNS label', () => expect(namespaceProblem('videokit')).toBeUndefined());
  it.each(['', 'Kube', 'a.b', 'x'.repeat(64), '$(id)'])('refuses %j', (name) => {
    expect(namespaceProblem(name)).toBeDefined();
  });
});

describe('contexts', () => {
  it.each(['prod-eu-west-1-admin', 'arn:aws:eks:eu-west-1:123:cluster/prod', 'user@cluster'])('accepts %s', (name) => {
    expect(contextProblem(name)).toBeUndefined();
  });
  it.each(['', '--kubeconfig=/etc/x', 'a b', 'a\nb'])('refuses %j', (name) => expect(contextProblem(name)).toBeDefined());
});
