import { Router } from "express";
import {
  ReviewRunIdParamsSchema,
  ReviewRunListQuerySchema,
  type ReviewRunListResponse,
  type ReviewRunResponse,
} from "../../../shared/review.js";
import type { ReviewService } from "../../domain/reviews/review-service.js";
import { handle } from "../middleware/handler.js";

/** What the review routes need: the run list, one run, and starting one. */
export type ReviewRouteService = Pick<ReviewService, "list" | "get" | "startOrConflict">;

/** The nightly review's runs: list, one run with its results, and Run now (admins). */
export function reviewRoutes(reviews: ReviewRouteService): Router {
  const router = Router();

  router.get(
    "/reviews",
    handle(
      { permission: "reviews:read", query: ReviewRunListQuerySchema },
      async ({ query, res }) => {
        const body: ReviewRunListResponse = await reviews.list(query);
        res.json(body);
      },
    ),
  );

  // Before /reviews/:id only for readability: the methods differ, so they cannot collide.
  router.post(
    "/reviews/run",
    handle({ permission: "reviews:run" }, async ({ user, res }) => {
      const { run } = await reviews.startOrConflict("manual", user.email);
      const body: ReviewRunResponse = { run };
      res.status(202).json(body);
    }),
  );

  router.get(
    "/reviews/:id",
    handle(
      { permission: "reviews:read", params: ReviewRunIdParamsSchema },
      async ({ params, res }) => {
        const body: ReviewRunResponse = { run: await reviews.get(params.id) };
        res.json(body);
      },
    ),
  );
  return router;
}
