import type { GraphQLResult } from './test-app';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The GraphQL result failed with this `extensions.code` and no data for the failed field. */
      toFailWith(code: string, message?: RegExp): R;
    }
  }
}

expect.extend({
  toFailWith(result: GraphQLResult, code: string, message?: RegExp) {
    const error = result.errors?.[0];
    const pass = !!error && error.extensions?.code === code && (!message || message.test(error.message));
    return {
      pass,
      message: () =>
        `expected a GraphQL error with code ${code}${message ? ` and message ${message}` : ''}, got ${JSON.stringify(result.errors ?? result.data)}`,
    };
  },
});
