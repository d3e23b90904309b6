export { isPuffleError, PuffleError } from "../../base/puffle-error";
export { APIConnectionError, isAPIConnectionError } from "./api-connection-error";
export {
  APIConnectionTimeoutError,
  isAPIConnectionTimeoutError,
} from "./api-connection-timeout-error";
export { APIError, type APIErrorInit, isAPIError } from "./api-error";
export { APIUserAbortError, isAPIUserAbortError } from "./api-user-abort-error";
export { AuthenticationError, isAuthenticationError } from "./authentication-error";
export { BadRequestError, isBadRequestError } from "./bad-request-error";
export { ConflictError, isConflictError } from "./conflict-error";
export { DispatchUnknownError, isDispatchUnknownError } from "./dispatch-unknown-error";
export { InsufficientCreditsError, isInsufficientCreditsError } from "./insufficient-credits-error";
export { InternalServerError, isInternalServerError } from "./internal-server-error";
export { isNotFoundError, NotFoundError } from "./not-found-error";
export { isPermissionDeniedError, PermissionDeniedError } from "./permission-denied-error";
export { isRateLimitError, RateLimitError } from "./rate-limit-error";
export {
  isRequestValidationError,
  RequestValidationError,
  type ValidationIssue,
} from "./request-validation-error";
export { isResponseValidationError, ResponseValidationError } from "./response-validation-error";
export { isSessionBusyError, SessionBusyError } from "./session-busy-error";
export { isSkeletonRequiredError, SkeletonRequiredError } from "./skeleton-required-error";
export { isTaskFailedError, TaskFailedError } from "./task-failed-error";
export { isUnprocessableEntityError, UnprocessableEntityError } from "./unprocessable-entity-error";
export { isWaitTimeoutError, WaitTimeoutError } from "./wait-timeout-error";
