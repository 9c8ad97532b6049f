import { ConfigError, loadWebhookSettings } from '../src/config';
import { isPublicAddress } from '../src/modules/webhook/webhook.address';
import { retryDelayMs } from '../src/modules/webhook/webhook.worker';

describe('the webhook address classifier', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.0.9', 'IPv4 loopback, anywhere in 127/8'],
    ['10.0.0.5', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.254', 'private 172.16/12, upper end'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared address space'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'unique-local fc00::/7'],
    ['fd12:3456:789a::1', 'unique-local fd00::/8'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.5', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, in hex'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '11.0.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('treats anything that is not an IP address as not public', () => {
    expect(isPublicAddress('localhost')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
    expect(isPublicAddress('[::1]')).toBe(false);
  });
});

describe('webhook retry backoff', () => {
  it('doubles from the base delay and caps at an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(60 * 60 * 1000);
  });
});

describe('webhook settings', () => {
  it('refuse private addresses in production unless PEDIGREE_WEBHOOK_ALLOW_PRIVATE=true', () => {
    expect(loadWebhookSettings({ NODE_ENV: 'production' }).allowPrivateAddresses).toBe(false);
    expect(loadWebhookSettings({ NODE_ENV: 'production', PEDIGREE_WEBHOOK_ALLOW_PRIVATE: 'true' }).allowPrivateAddresses).toBe(true);
    expect(loadWebhookSettings({}).allowPrivateAddresses).toBe(true);
    expect(loadWebhookSettings({ PEDIGREE_WEBHOOK_ALLOW_PRIVATE: 'false' }).allowPrivateAddresses).toBe(false);
  });

  it('default to a 1 s poll, a 5 s timeout and 8 attempts from a 1 s backoff, and refuse nonsense', () => {
    expect(loadWebhookSettings({})).toEqual({ allowPrivateAddresses: true, pollMs: 1000, timeoutMs: 5000, maxAttempts: 8, retryBaseMs: 1000 });
    expect(() => loadWebhookSettings({ PEDIGREE_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(new ConfigError('PEDIGREE_WEBHOOK_ALLOW_PRIVATE must be true or false, got "yes"'));
    expect(() => loadWebhookSettings({ PEDIGREE_WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/PEDIGREE_WEBHOOK_TIMEOUT_MS must be a positive integer/);
  });
});
