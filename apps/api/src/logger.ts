import pino from 'pino';
import { currentRequestId } from './common/request-context';

export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'pedigree-api' },
  // Every line logged while serving a request carries its id, the one clients see on errors.
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});
