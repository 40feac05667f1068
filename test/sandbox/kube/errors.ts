import { qualifiedName, type ResourceType } from './resources.js';

/**
 * An error the API answers as a `Status`. client-go maps `reason` and `code` to its error
 * helpers (helm's rollback checks `apierrors.IsNotFound` on its GET before deciding to create).
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFound = (rt: ResourceType, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedName(rt)} "${name}" not found`, { name, group: rt.group, kind: rt.resource });

export const alreadyExists = (rt: ResourceType, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedName(rt)} "${name}" already exists`, { name, group: rt.group, kind: rt.resource });

export const conflict = (rt: ResourceType, name: string): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(rt)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: rt.group, kind: rt.resource },
  );

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const invalid = (message: string): ApiError => new ApiError(422, 'Invalid', message);

export const unsupportedMediaType = (type: string): ApiError =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf (got ${type})`);

export const methodNotAllowed = (method: string): ApiError => new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
