/**
 * Types for the npm `sip` package (0.0.6), which ships none: the parts Outdial uses, its
 * transaction layer, message model and digest helper.
 */
declare module 'sip' {
  export interface SipUri {
    schema?: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null | undefined>;
    headers?: Record<string, string>;
  }

  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null | undefined>;
  }

  export interface Via {
    version?: string;
    protocol?: string;
    host?: string;
    port?: number;
    params: Record<string, string | null | undefined>;
  }

  export interface SipHeaders {
    to: NameAddr;
    from: NameAddr;
    'call-id': string;
    cseq: { method: string; seq: number };
    via?: Via[];
    contact?: NameAddr[] | string;
    route?: NameAddr[] | string;
    'record-route'?: NameAddr[];
    'content-type'?: string;
    'max-forwards'?: number;
    [header: string]: unknown;
  }

  export interface SipRequest {
    method: string;
    uri: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export interface SipResponse {
    status: number;
    reason: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export type SipMessage = SipRequest | SipResponse;

  export interface Remote {
    protocol: string;
    address: string;
    port: number;
  }

  export interface StackOptions {
    address?: string;
    port?: number;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    rport?: boolean;
    logger?: {
      send?: (message: SipMessage, target: Remote) => void;
      recv?: (message: SipMessage, remote: Remote) => void;
      error?: (error: unknown) => void;
    };
  }

  export interface SipStack {
    send(message: SipMessage, onResponse?: (response: SipResponse) => void): void;
    destroy(): void;
    hostname(): string;
  }

  export function create(
    options: StackOptions,
    onRequest: (request: SipRequest, remote: Remote) => void,
  ): SipStack;
  export function makeResponse(request: SipRequest, status: number, reason?: string): SipResponse;
  export function parseUri(uri: string): SipUri;
  export function stringify(message: SipMessage): string;
  export function stringifyUri(uri: SipUri): string;
  export function generateBranch(): string;
}

declare module 'sip/digest.js' {
  import type { SipRequest, SipResponse } from 'sip';

  export interface DigestContext {
    [key: string]: unknown;
  }

  export function signRequest(
    context: DigestContext | null,
    request: SipRequest,
    challenge?: SipResponse,
    credentials?: { user: string; password: string; realm?: string },
  ): DigestContext | null;
}
