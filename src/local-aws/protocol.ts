// The wire formats the SDK v3 clients speak: AWS Query and EC2 Query (form in, XML out) and
// AWS JSON 1.0 with query-compatible errors (CloudWatch).

export type Params = Record<string, unknown>;

/** An error AWS would answer with: code, HTTP status, message. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
  get sender(): boolean {
    return this.status < 500;
  }
}

export const validation = (message: string) => new AwsError('ValidationError', message);

/**
 * Form parameters to a nested object: `A.member.1.B=x` → { A: [{ B: 'x' }] }. EC2 flattens lists
 * without `member` (`InstanceId.1=...`): a numeric segment makes a list too.
 */
export function parseQuery(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.').filter((p) => p !== 'member');
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const slot = /^\d+$/.test(part) ? Number(part) - 1 : part;
      const holder = node as Record<string | number, unknown>;
      if (last) holder[slot] = value;
      else {
        holder[slot] ??= nextIsIndex ? [] : {};
        node = holder[slot] as Record<string, unknown>;
      }
    });
  }
  return root;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A value as XML children: objects by key, lists as <member> (or <item> in EC2), dates ISO. */
export function toXml(value: unknown, listItem = 'member'): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Params)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, listItem)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function queryReply(action: string, namespace: string, result: Params | null, requestId: string): Reply {
  const inner = result === null ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function queryError(error: AwsError, requestId: string): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${error.sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

export function ec2Reply(action: string, result: Params, requestId: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>${toXml(result, 'item')}</${action}Response>`,
  };
}

export function ec2Error(error: AwsError, requestId: string): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

export function jsonReply(result: Params): Reply {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(result) };
}

/** AWS JSON 1.0 error with the awsQueryCompatible header CloudWatch sends. */
export function jsonError(error: AwsError): Reply {
  const jsonCode = error.code === 'ValidationError' ? 'InvalidParameterValueException' : error.code;
  return {
    status: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': `${error.code};${error.sender ? 'Sender' : 'Receiver'}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${jsonCode}`, message: error.message }),
  };
}

/** Required string parameter, or AWS's ValidationError naming it. */
export function required(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw validation(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function integer(params: Params, name: string, { min, max }: { min?: number; max?: number } = {}): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw validation(`1 validation error detected: Value '${String(raw)}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have value between ${min ?? '-∞'} and ${max ?? '∞'}`);
  }
  return value;
}

export function list(params: Params, name: string): unknown[] {
  const value = params[name];
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value.filter((v) => v !== undefined) : [value];
}
