// The table lives in the domain, whose use cases check ownership with it too; routes
// and the route walk read it from here.
export * from "../domain/access-policy.js";
