interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

interface ApiCallOptions {
  /** The Bearer key (Default: the client's); null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
  /** A body sent as is instead of JSON.stringify(body). */
  raw?: string;
}

export type ApiCall = <T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  options?: ApiCallOptions,
) => Promise<ApiResponse<T>>;

/**
 * Calls a Hookline API with a Bearer key and a JSON body; JSON replies are parsed, others
 * (/metrics) come back as text. The one fetch helper of every test that talks to the API.
 */
export function apiClient(baseUrl: string, defaultKey: string): ApiCall {
  return async <T>(method: string, path: string, body?: unknown, options: ApiCallOptions = {}) => {
    const key = options.key === undefined ? defaultKey : options.key;
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...headers, ...options.headers },
      body: payload,
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return {
      status: res.status,
      headers: res.headers,
      body: (text && json ? JSON.parse(text) : text || undefined) as T,
    };
  };
}
