/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const DecideApprovalMutation = graphql(`
  mutation DecideApproval($runId: ID!, $nodeId: String!, $decision: ApprovalDecision!, $comment: String) {
    decideApproval(runId: $runId, nodeId: $nodeId, decision: $decision, comment: $comment) {
      __typename
      ... on Run {
        id
        status
      }
      ... on NotFoundError {
        message
      }
      ... on ConflictError {
        message
      }
    }
  }
`);

export const DecideApprovalByIdMutation = graphql(`
  mutation DecideApprovalById(
    $approvalId: ID!
    $decision: ApprovalDecision!
    $comment: String
    $args: JSON
    $extendCents: Decimal
  ) {
    decideApprovalById(
      approvalId: $approvalId
      decision: $decision
      comment: $comment
      args: $args
      extendCents: $extendCents
    ) {
      __typename
      ... on Run {
        id
        status
      }
      ... on NotFoundError {
        message
      }
      ... on ConflictError {
        message
      }
      ... on InvalidRequestError {
        message
      }
    }
  }
`);

export const PendingApprovalsQuery = graphql(`
  query PendingApprovals {
    pendingApprovals {
      id
      runId
      nodeId
      message
      requestedAt
      deadline
      onTimeout
      kind
      tool
      run {
        id
        workflow {
          id
          name
        }
      }
    }
  }
`);
