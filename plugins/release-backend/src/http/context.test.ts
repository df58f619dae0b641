import express from 'express';
import request from 'supertest';
import { renderJson, sendRendered } from './context';

/**
 * A kept body is sent as express would send it, with the same entity tag,
 * and stays a string in V8's heap (see renderJson: a Buffer per kept body
 * fragmented the C library's malloc arena; bench P13).
 */
describe('renderJson and sendRendered', () => {
  const bodies = {
    ascii: JSON.stringify({ entityRef: 'component:default/shop', n: 1 }),
    // Characters of two, three and four bytes in UTF-8: the tag and the
    // Content-Length count bytes, not characters.
    unicode: JSON.stringify({ title: 'Zoë’s shop ✓ 🚀', phases: ['dev'] }),
    large: JSON.stringify({
      items: Array.from({ length: 400 }, (_, i) => ({
        id: i,
        v: 'é'.repeat(20),
      })),
    }),
  };

  const app = express();
  app.get('/express/:body', (req, res) => {
    res.type('application/json');
    res.send(bodies[req.params.body as keyof typeof bodies]);
  });
  app.get('/rendered/:body', (req, res) => {
    sendRendered(
      res,
      renderJson(bodies[req.params.body as keyof typeof bodies]),
    );
  });

  // A body whose length was not given is counted when sent.
  app.get('/unmeasured/:body', (req, res) =>
    sendRendered(res, {
      body: bodies[req.params.body as keyof typeof bodies],
      etag: 'W/"x"',
    }),
  );

  it.each(Object.keys(bodies))(
    'sends the %s body with the bytes, length and tag express gives it',
    async name => {
      const plain = await request(app).get(`/express/${name}`).expect(200);
      const rendered = await request(app).get(`/rendered/${name}`).expect(200);
      expect(rendered.text).toBe(plain.text);
      expect(rendered.headers['content-length']).toBe(
        plain.headers['content-length'],
      );
      expect(rendered.headers['content-type']).toBe(
        plain.headers['content-type'],
      );
      expect(rendered.headers.etag).toBe(plain.headers.etag);
      const notModified = await request(app)
        .get(`/rendered/${name}`)
        .set('If-None-Match', rendered.headers.etag)
        .expect(304);
      const expressNotModified = await request(app)
        .get(`/express/${name}`)
        .set('If-None-Match', plain.headers.etag)
        .expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe(expressNotModified.headers.etag);
      for (const header of ['content-length', 'content-type']) {
        expect(notModified.headers[header]).toBe(
          expressNotModified.headers[header],
        );
      }
      // HEAD: the headers of GET, no body.
      const head = await request(app).head(`/rendered/${name}`).expect(200);
      expect(head.text).toBeUndefined();
      expect(head.headers['content-length']).toBe(
        plain.headers['content-length'],
      );
      expect(head.headers.etag).toBe(plain.headers.etag);
      const unmeasured = await request(app).get(`/unmeasured/${name}`);
      expect(unmeasured.text).toBe(plain.text);
      expect(unmeasured.headers['content-length']).toBe(
        plain.headers['content-length'],
      );
    },
  );

  it('keeps the body as a string, not a Buffer of its own', () => {
    const rendered = renderJson(bodies.large);
    expect(typeof rendered.body).toBe('string');
    expect(rendered.body).toBe(bodies.large);
  });
});
