/*
 * Counts the SQL statements a request makes, for target P3.
 *
 * Every incoming HTTP request that carries the header `x-bench-count-queries`
 * runs in an AsyncLocalStorage context. The drivers' query entry points
 * (pg's Client#query, better-sqlite3's Database#prepare, which knex calls
 * once per statement) are wrapped to add one to the context's counter, keyed
 * by database. The counts are sent back in the response header
 * `x-bench-queries` (JSON), written when the response headers go out, i.e.
 * after the handler has awaited all of its queries.
 *
 * Only statements issued in the async continuation of that request are
 * counted: work the request causes in another request (the release plugin
 * calls the catalog and the permission backend over HTTP) is not.
 */
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');

const als = new AsyncLocalStorage();
let installed = false;

function bump(key) {
  const store = als.getStore();
  if (store) {
    store[key] = (store[key] ?? 0) + 1;
  }
}

function install() {
  if (installed) return;
  installed = true;
  try {
    const pg = require('pg');
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function countedQuery(...args) {
      bump(`pg:${this.database ?? this.connectionParameters?.database}`);
      return original.apply(this, args);
    };
  } catch {
    // pg not installed: nothing to count there.
  }
  try {
    const Database = require('better-sqlite3');
    const original = Database.prototype.prepare;
    Database.prototype.prepare = function countedPrepare(...args) {
      bump('sqlite');
      return original.apply(this, args);
    };
  } catch {
    // better-sqlite3 not installed.
  }
}

/** Express middleware, mounted before all routes. */
function middleware(req, res, next) {
  if (!req.headers['x-bench-count-queries']) {
    next();
    return;
  }
  const counts = {};
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithCounts(...args) {
    try {
      res.setHeader('x-bench-queries', JSON.stringify(counts));
    } catch {
      // headers already sent
    }
    return writeHead.apply(this, args);
  };
  als.run(counts, next);
}

module.exports = { install, middleware };
