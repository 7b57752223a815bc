/**
 * Fastify's `trustProxy` from TRUST_PROXY. Unset or "false": no proxy is trusted and a request's address is its
 * connection's, so a client cannot pick its own address with X-Forwarded-For (and dodge the per-address limit
 * on failed authentications). Behind a load balancer, name it: a number of hops ("1"), or the proxies'
 * addresses or CIDR ranges ("10.0.0.0/8,127.0.0.1"). "true" trusts any sender of the header: only for a proxy
 * that overwrites it and the only way in.
 */
export function trustProxySetting(value: string | undefined): boolean | number | string[] {
  const raw = value?.trim() ?? '';
  if (raw === '' || /^false$/i.test(raw)) return false;
  if (/^true$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

