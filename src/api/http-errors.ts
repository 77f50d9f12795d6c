/** Maps what services throw onto HTTP answers: bad input is always a 4xx with the detail, never a 500. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DatabaseError } from '../db/database-error.ts';
import { DisaggregationError } from '../domain/disaggregation.ts';
import { ExpressionError } from '../domain/expression.ts';
import { PeriodError } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';

export class NotFoundError extends Error {
  readonly statusCode = 404;
  readonly code = 'not_found';
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export function errorHandler(error: FastifyError | Error, _req: FastifyRequest, reply: FastifyReply): void {
  const e = error as FastifyError & { validation?: { instancePath?: string; message?: string; params?: unknown }[]; validationContext?: string };
  if (e.validation) {
    const errors = e.validation.map((v) => ({
      row: 0,
      field: `${e.validationContext ?? 'request'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`,
      code: 'invalid',
      message: v.message ?? 'invalid',
    }));
    reply.status(400).send({ error: 'bad_request', message: errors.map((x) => `${x.field}: ${x.message}`).join('; '), errors });
    return;
  }
  if (error instanceof InputError) {
    reply.status(422).send({ error: 'invalid_input', message: error.message, errors: error.errors });
    return;
  }
  if (error instanceof PeriodError || error instanceof DisaggregationError || error instanceof ExpressionError) {
    reply.status(400).send({ error: 'bad_request', message: error.message });
    return;
  }
  if (error instanceof NotFoundError) {
    reply.status(404).send({ error: 'not_found', message: error.message });
    return;
  }
  if (error instanceof DatabaseError && error.code === '23505') {
    reply.status(409).send({ error: 'conflict', message: error.detail ?? error.message });
    return;
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    reply.status(e.statusCode).send({ error: e.code ?? 'bad_request', message: e.message });
    return;
  }
  reply.log.error(error);
  reply.status(500).send({ error: 'internal', message: 'An unexpected error occurred; it has been logged.' });
}
