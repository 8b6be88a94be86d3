/**
 * A delivery worker that dies (SIGKILL, no clean-up) right after the provider accepted a message
 * and before the outcome is written: the crash the outbox must survive. Usage:
 *   tsx test/helpers/crash-worker.ts <database-url> <now-iso> <json env>
 */
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/client.js';
import { buildProviders, settingsFromConfig } from '../../src/modules/channels/runtime.js';
import type { MessageProvider, Providers } from '../../src/modules/channels/providers/types.js';
import { deliverDue } from '../../src/modules/notifications/deliver-messages.js';

const [url, nowIso, env] = process.argv.slice(2);
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://handy.test', ...JSON.parse(env!) });
const database = connect(url!, 2);
const { providers } = buildProviders(config, settingsFromConfig(config));
const crashAfterSend = (p: MessageProvider): MessageProvider => ({
  async send(m) {
    await p.send(m);
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => {});
  },
});
const crashing: Providers = Object.fromEntries(Object.entries(providers).map(([k, p]) => [k, crashAfterSend(p)]));
await deliverDue({ db: database.db, providers: crashing, config, now: () => new Date(nowIso!) });
