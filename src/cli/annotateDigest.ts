import { escapeControls } from '../domain/sanitize.js';
import { patchAnnotationText, type AnnotationResult, type AnnotationTarget } from '../tools/grafana.js';
import { withSealDigest } from '../views/annotation.js';

/**
 * --annotate: once the record is sealed, its digest is added to the annotation the run
 * posted, so Grafana keeps it too (the annotation is posted before the outcome, and the
 * seal covers the record of that post). A failure is a warning: the run's outcome stands.
 */
export async function addSealDigestToAnnotation(
  target: AnnotationTarget | undefined,
  annotation: AnnotationResult | null,
  digest: string | null,
  say: { note(text: string): void; warn(text: string): void },
): Promise<void> {
  if (target === undefined || annotation === null || !annotation.ok || annotation.id === null || digest === null) return;
  const result = await patchAnnotationText(target, annotation.id, withSealDigest(annotation.payload.text, digest), (url, init) => fetch(url, init));
  if (result.ok) say.note(`Grafana annotation ${annotation.id}: the seal digest was added to its text\n`);
  else say.warn(`the seal digest was not added to the Grafana annotation ${annotation.id}: ${escapeControls(result.error ?? '')}`);
}
