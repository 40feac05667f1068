/** `--annotate`: where to post and how; the token never leaves this module except in the request header. */
export interface AnnotationTarget {
  /** $GRAFANA_URL, the base URL of Grafana (a sub-path such as /grafana is kept). */
  readonly baseUrl: string;
  /** $GRAFANA_TOKEN: a service-account token, sent as `Authorization: Bearer`. */
  readonly token: string;
  readonly dashboardUid: string | undefined;
  readonly extraTags: readonly string[];
}

/** The body of `POST /api/annotations` (Grafana HTTP API): a region from `time` to `timeEnd`. */
export interface AnnotationPayload {
  readonly dashboardUID?: string;
  readonly time: number;
  readonly timeEnd: number;
  readonly tags: readonly string[];
  readonly text: string;
}

export interface AnnotationResult {
  readonly url: string;
  readonly ok: boolean;
  readonly status: number | null;
  /** Grafana's id of the new annotation. */
  readonly id: number | null;
  readonly error: string | null;
  readonly payload: AnnotationPayload;
}

export function annotationsUrl(baseUrl: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL('api/annotations', base).toString();
}

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * Posts the annotation. Never throws: a failed annotation is reported and recorded but
 * never fails the rollback. The token is scrubbed from anything recorded.
 */
export async function postAnnotation(target: AnnotationTarget, payload: AnnotationPayload, fetchImpl: Fetch, timeoutMs = 10_000): Promise<AnnotationResult> {
  const scrub = (text: string) => (target.token === '' ? text : text.split(target.token).join('***'));
  const url = annotationsUrl(target.baseUrl);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.status < 200 || response.status >= 300) {
      return { url, ok: false, status: response.status, id: null, error: scrub(`HTTP ${response.status}: ${body.trim().slice(0, 200)}`), payload };
    }
    let id: number | null = null;
    try {
      const parsed = JSON.parse(body) as { id?: unknown };
      id = typeof parsed.id === 'number' ? parsed.id : null;
    } catch {
      // Grafana answers JSON; a proxy might not. The annotation was accepted either way.
    }
    return { url, ok: true, status: response.status, id, error: null, payload };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const message = error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer in time' : `${error.message}${cause instanceof Error ? `: ${cause.message}` : ''}`) : String(error);
    return { url, ok: false, status: null, id: null, error: scrub(message), payload };
  }
}

/**
 * Adds to a posted annotation's text: `PATCH /api/annotations/:id` (Grafana HTTP API),
 * which changes only the fields sent. Never throws; the token is scrubbed from the error.
 */
export async function patchAnnotationText(target: AnnotationTarget, id: number, text: string, fetchImpl: Fetch, timeoutMs = 10_000): Promise<{ ok: boolean; error: string | null }> {
  const scrub = (message: string) => (target.token === '' ? message : message.split(target.token).join('***'));
  try {
    const response = await fetchImpl(`${annotationsUrl(target.baseUrl)}/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.status >= 200 && response.status < 300) return { ok: true, error: null };
    return { ok: false, error: scrub(`HTTP ${response.status}: ${body.trim().slice(0, 200)}`) };
  } catch (error) {
    return { ok: false, error: scrub(error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer in time' : error.message) : String(error)) };
  }
}
