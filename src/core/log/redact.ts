/**
 * Central redaction: every log line, mail and user-facing error passes through here, so a
 * token, secret or pre-authenticated URL cannot leak by a careless interpolation elsewhere.
 */
const MASK = '[redacted]';

const SENSITIVE_PARAMS =
  'access_token|refresh_token|id_token|client_secret|code|code_verifier|client_assertion|password|tempauth|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|api_key|apikey';

const PATTERNS: ReadonlyArray<[RegExp, string | ((match: string, ...groups: string[]) => string)]> =
  [
    // Authorization headers, in any casing.
    [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${MASK}`],
    // JWTs (access and id tokens on Microsoft's side).
    [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, MASK],
    // Microsoft personal-account tokens are opaque, not JWTs: access tokens ("EwA…", "EwB…")
    // and refresh tokens / codes ("M.C105_BAY.…", "M.R3_BL2.…").
    [/\bEw[A-Z][A-Za-z0-9+/=_.!*-]{20,}/g, MASK],
    [/\bM\.[A-Z]\d*_[A-Za-z0-9]+\.[A-Za-z0-9!*$._~-]+/g, MASK],
    // SendGrid API keys.
    [/\bSG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, MASK],
    // JSON or TOML style "secret": "value" pairs.
    [
      /(["']?(?:access_token|refresh_token|id_token|client_secret|secret_access_key|api_key|password|secret)["']?\s*[:=]\s*)(["'])(?:(?!\2).)*\2/gi,
      `$1$2${MASK}$2`,
    ],
    // Query parameters that carry credentials (pre-signed S3 URLs, OAuth codes, download auth).
    [new RegExp(`((?:^|[?&\\s;,])(?:${SENSITIVE_PARAMS})=)[^&\\s"'#]+`, 'gi'), `$1${MASK}`],
    // OneDrive pre-authenticated download URLs carry their credential in the path.
    [
      /(https?:\/\/[^/\s"']*(?:1drv\.com|1drv\.ms|files\.onedrive\.com|download\.onedrive)[^/\s"']*)\/[^\s"']*/gi,
      `$1/${MASK}`,
    ],
  ];

export class Redactor {
  private readonly literals = new Set<string>();

  /** Exact values to mask wherever they appear (configured secrets, tokens seen at run time). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.literals.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const literal of this.literals) out = out.split(literal).join(MASK);
    for (const [pattern, replacement] of PATTERNS) {
      out = out.replace(pattern, replacement as string);
    }
    return out;
  }

  /** Redacts strings inside any value (log arguments may be objects or errors). */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      const copy = new Error(this.redact(value.message));
      copy.name = value.name;
      copy.stack = value.stack === undefined ? undefined : this.redact(value.stack);
      return copy;
    }
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        /^(authorization|access_?token|refresh_?token|client_?secret|secret_?access_?key|api_?key|password|cookie)$/i.test(
          k,
        )
          ? MASK
          : this.redactValue(v, depth + 1);
    }
    return out;
  }
}

/** The process-wide redactor; composition roots add the configured secrets to it. */
export const redactor = new Redactor();
export const redact = (text: string): string => redactor.redact(text);
