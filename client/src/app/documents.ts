/**
 * Every GraphQL operation the dashboard sends, typed by codegen (`npx graphql-codegen`). The fields
 * a component reads are a fragment beside it (`WorkflowRow_workflow`, `RunRow_run`, …), spread here.
 */
import { graphql } from "../graphql/index.ts";

export const WorkflowsQuery = graphql(`
  query Workflows($search: String) {
    workflows(first: 100, search: $search) {
      edges {
        node {
          ...WorkflowRow_workflow
        }
      }
    }
  }
`);

export const WorkflowQuery = graphql(`
  query Workflow($id: ID!) {
    workflow(id: $id) {
      id
      name
      description
      graphJson
    }
  }
`);

export const WorkflowVersionsQuery = graphql(`
  query WorkflowVersions($id: ID!) {
    workflow(id: $id) {
      id
      currentVersion
      versions {
        version
        message
        createdAt
      }
    }
  }
`);

export const WorkflowVersionDiffQuery = graphql(`
  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {
    workflow(id: $id) {
      id
      versionDiff(from: $from, to: $to)
    }
  }
`);

export const RestoreWorkflowVersionMutation = graphql(`
  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {
    restoreWorkflowVersion(id: $id, version: $version) {
      __typename
      ... on Workflow {
        id
        currentVersion
        graphJson
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const CatalogQuery = graphql(`
  query Catalog {
    providers {
      name
      simulated
    }
    pricing {
      models {
        provider
        model
        aliases
      }
    }
  }
`);

export const CreateWorkflowMutation = graphql(`
  mutation CreateWorkflow($input: WorkflowInput!) {
    createWorkflow(input: $input) {
      __typename
      ... on Workflow {
        id
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
    }
  }
`);

export const UpdateWorkflowMutation = graphql(`
  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {
    updateWorkflow(id: $id, input: $input) {
      __typename
      ... on Workflow {
        id
        name
        graphJson
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const DeleteWorkflowMutation = graphql(`
  mutation DeleteWorkflow($id: ID!) {
    deleteWorkflow(id: $id) {
      __typename
    }
  }
`);

export const ValidateWorkflowQuery = graphql(`
  query ValidateWorkflow($graph: JSON!) {
    validateWorkflow(graph: $graph) {
      path
      message
    }
  }
`);

export const StartRunMutation = graphql(`
  mutation StartRun($workflowId: ID!, $inputVars: JSON) {
    startRun(workflowId: $workflowId, inputVars: $inputVars) {
      __typename
      ... on Run {
        id
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const CancelRunMutation = graphql(`
  mutation CancelRun($runId: ID!) {
    cancelRun(runId: $runId) {
      __typename
      ... on ConflictError {
        message
      }
    }
  }
`);

export const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      ...RunHeader_run
      errorSummary
      tracePrunedAt
      graphSnapshot
      workflow {
        id
        graphJson
      }
      steps {
        id
        nodeId
        nodeType
        status
        latencyMs
        tokensInput
        tokensOutput
        tokensReasoning
        usageSource
        costCents
        error
        reused
      }
    }
  }
`);

export const RerunRunMutation = graphql(`
  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {
    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {
      __typename
      ... on Run {
        id
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
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
    }
  }
`);

export const RunDiffQuery = graphql(`
  query RunDiff($id: ID!, $against: ID!) {
    run(id: $id) {
      id
      workflow {
        id
        name
      }
      diff(against: $against)
    }
  }
`);

export const StepOutputQuery = graphql(`
  query StepOutput($id: ID!) {
    step(id: $id) {
      id
      output
    }
  }
`);

export const RunsQuery = graphql(`
  query Runs($workflowId: ID!, $status: RunStatus) {
    workflow(id: $workflowId) {
      id
      name
    }
    runs(workflowId: $workflowId, status: $status, first: 100) {
      edges {
        node {
          ...RunRow_run
        }
      }
    }
  }
`);

/** Typed like every other document; graphql-sse sends its printed text (`print`). */
export const RunEventsSubscription = graphql(`
  subscription RunEvents($runId: ID!, $afterSeq: Int) {
    runEvents(runId: $runId, afterSeq: $afterSeq) {
      seq
      kind
      ts
      stepId
      payload
    }
  }
`);

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

export const WorkflowMetricsQuery = graphql(`
  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {
    workflow(id: $id) {
      id
      name
      metrics(range: $range) {
        range
        bucket
        from
        to
        totals {
          runs
          succeeded
          failed
          p50LatencyMs
          p95LatencyMs
          costCents
          unpricedSteps
          llmSteps
          cacheHits
          cacheHitRate
          savedCents
          unpricedSavings
          executedSteps
          stepsWithRetries
          retryRate
          executedLlmSteps
          stepsWithFallbacks
          fallbackRate
        }
        series {
          start
          runs
          succeeded
          failed
          canceled
          active
          p50LatencyMs
          p95LatencyMs
        }
        costByModel {
          start
          model
          costCents
          steps
          unpricedSteps
        }
        nodes {
          nodeId
          nodeType
          runs
          failures
          failureRate
          p95LatencyMs
          meanCostCents
          pricedRuns
          slowestRunId
          mostExpensiveRunId
        }
      }
    }
  }
`);
