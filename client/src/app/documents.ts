/** Every GraphQL operation the dashboard sends, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../graphql/index.ts";

export const WorkflowsQuery = graphql(`
  query Workflows($search: String) {
    workflows(first: 100, search: $search) {
      edges {
        node {
          id
          name
          description
          nodeCount
          updatedAt
          graphJson
          lastRun {
            id
            status
            totalCostCents
            costComplete
            unpricedSteps
          }
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
      id
      status
      workflowId
      workflow {
        id
        name
        graphJson
      }
      createdAt
      startedAt
      finishedAt
      totalTokens
      totalCostCents
      costComplete
      unpricedSteps
      totalLatencyMs
      errorSummary
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
      }
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
          id
          status
          createdAt
          totalTokens
          totalCostCents
          costComplete
          unpricedSteps
          totalLatencyMs
          errorSummary
          steps {
            nodeId
            nodeType
            status
            latencyMs
            tokensInput
            tokensOutput
            usageSource
            costCents
          }
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
