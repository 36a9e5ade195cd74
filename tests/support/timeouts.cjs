/* global jest */
// Suites that start real servers, databases or browsers: on a busy two-core machine starting one
// can take several seconds, so hooks and tests get a minute before jest calls them stuck.
jest.setTimeout(Number(process.env.LEEWAY_TEST_TIMEOUT_MS ?? 60_000));
