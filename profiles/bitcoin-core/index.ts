import { bitcoindProfile } from '../bitcoind/profile.js';
import { bitcoinCoreMetrics } from './metrics.js';

export const bitcoinCoreProfile = bitcoindProfile('bitcoin-core', 'Bitcoin Core node (v29+ tracepoints)', bitcoinCoreMetrics);
