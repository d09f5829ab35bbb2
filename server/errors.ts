/**
 * Errors the services raise on purpose. The error plugin turns them into problem+json
 * with the stable `code`; anything else is a bug and becomes a 500 without details.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: { field: string; message: string }[],
    /** Values the web app's translation of `code` fills in (e.g. `retryAfterSeconds`). */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You may not do this') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const invalid = (field: string, message: string, code = 'validation_failed') =>
  new AppError(400, code, message, [{ field, message }]);
