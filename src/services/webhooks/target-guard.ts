import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { invalid } from '../../domain/errors.js';

/** Where webhooks may be sent: public addresses only, unless the operator allows private ones. */
export interface WebhookTargetPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS=on: loopback, private and link-local addresses are allowed too. */
  allowPrivate: boolean;
}

/** Only ordinary public addresses; everything else (loopback, private, link-local, CGNAT…) is inward. */
function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

function refusedAddress(address: string): Error {
  return invalid('The webhook URL points into a private network', [
    `url: ${address} is a loopback, private or reserved address; such targets are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS=on`,
  ]);
}

/**
 * Checks a subscription's URL when it is saved: http or https, no credentials in it, and a host
 * that resolves only to public addresses (unless the policy allows private ones). Deliveries check
 * the address again as they connect (`guardedLookup`), so a name that later resolves inward is
 * refused then too.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('The webhook URL is not a valid URL', [`url: ${raw}`]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('The webhook URL must be http or https', [`url: ${url.protocol} is not allowed`]);
  if (url.username || url.password)
    throw invalid('The webhook URL must not carry credentials', ['url: user and password are not allowed']);
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw invalid('The webhook URL names a host that does not resolve', [`url: ${host} not found`]);
    }
  }
  const inward = addresses.find((a) => !isPublicAddress(a));
  if (inward !== undefined) throw refusedAddress(inward);
  return url;
}

/** A DNS lookup for outgoing deliveries that refuses inward addresses at connection time. */
export function guardedLookup(policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const inward = policy.allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (inward) return callback(refusedAddress(inward.address), '', 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
