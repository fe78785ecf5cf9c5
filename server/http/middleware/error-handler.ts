import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ErrorBody } from "../../../shared/errors.js";
import { AppError, isAppError } from "../../domain/app-error.js";

/** 404 for any `/api` route that does not exist. */
export const apiNotFound: RequestHandler = (req) => {
  throw new AppError("not_found", `No route ${req.method} ${req.path}`);
};

/**
 * The one error middleware: renders `{error:{code,message,details?}}` with the error's
 * status. Body-parser failures become 400/413; anything unexpected is a 500 whose cause
 * is logged and whose stack never reaches the client.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toHttpError(error);
  if (appError.status >= 500) {
    req.log.error({ err: error, code: appError.code }, "request failed");
  } else {
    req.log.info({ code: appError.code, status: appError.status }, "request refused");
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const retryAfter = (appError.details as { retryAfterSeconds?: unknown } | undefined)
    ?.retryAfterSeconds;
  if (appError.code === "rate_limited" && typeof retryAfter === "number") {
    res.setHeader("Retry-After", String(retryAfter));
  }
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details === undefined ? {} : { details: appError.details }),
    },
  };
  res.status(appError.status).json(body);
};

function toHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const status = (error as { status?: unknown; type?: unknown }).status;
  const type = (error as { type?: unknown }).type;
  if (type === "entity.too.large" || status === 413) {
    return new AppError("payload_too_large", "The request body is too large");
  }
  if (type === "entity.parse.failed") {
    return new AppError("validation_error", "The request body is not valid JSON", {
      details: [{ path: "body", message: "invalid JSON" }],
    });
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError("validation_error", "The request could not be read", { status });
  }
  return new AppError("internal", "Something went wrong on the server; it has been logged", {
    cause: error,
  });
}
