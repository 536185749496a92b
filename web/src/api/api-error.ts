/** An admin API failure in OpenAI's error shape, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly type: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The endpoint does not exist on this gateway (an older version, or a feature that is off). */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

interface ErrorBody {
  error?: { message?: unknown; type?: unknown; code?: unknown };
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const message = typeof error?.message === 'string' ? error.message : `${response.status} ${response.statusText || 'error'}`;
  return new ApiError(message, response.status, typeof error?.code === 'string' ? error.code : null, typeof error?.type === 'string' ? error.type : null);
}
