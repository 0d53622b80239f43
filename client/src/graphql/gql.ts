/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation DecideApproval($runId: ID!, $nodeId: String!, $decision: ApprovalDecision!, $comment: String) {\n    decideApproval(runId: $runId, nodeId: $nodeId, decision: $decision, comment: $comment) {\n      __typename\n      ... on Run {\n        id\n        status\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n": typeof types.DecideApprovalDocument,
    "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      runId\n      nodeId\n      message\n      requestedAt\n      deadline\n      onTimeout\n      run {\n        id\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.PendingApprovalsDocument,
    "\n  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {\n    workflow(id: $id) {\n      id\n      name\n      metrics(range: $range) {\n        range\n        bucket\n        from\n        to\n        totals {\n          runs\n          succeeded\n          failed\n          p50LatencyMs\n          p95LatencyMs\n          costCents\n          unpricedSteps\n          llmSteps\n          cacheHits\n          cacheHitRate\n          savedCents\n          unpricedSavings\n          executedSteps\n          stepsWithRetries\n          retryRate\n          executedLlmSteps\n          stepsWithFallbacks\n          fallbackRate\n        }\n        series {\n          start\n          runs\n          succeeded\n          failed\n          canceled\n          active\n          p50LatencyMs\n          p95LatencyMs\n        }\n        costByModel {\n          start\n          model\n          costCents\n          steps\n          unpricedSteps\n        }\n        nodes {\n          nodeId\n          nodeType\n          runs\n          failures\n          failureRate\n          p95LatencyMs\n          meanCostCents\n          pricedRuns\n          slowestRunId\n          mostExpensiveRunId\n        }\n      }\n    }\n  }\n": typeof types.WorkflowMetricsDocument,
    "\n  query RunDiff($id: ID!, $against: ID!) {\n    run(id: $id) {\n      id\n      workflow {\n        id\n        name\n      }\n      diff(against: $against)\n    }\n  }\n": typeof types.RunDiffDocument,
    "\n  fragment RunHeader_run on Run {\n    id\n    status\n    workflowId\n    workflow {\n      id\n      name\n    }\n    startedAt\n    finishedAt\n    rerunFromNode\n    savedCostCents\n    parent {\n      id\n    }\n    children {\n      id\n      status\n    }\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    steps {\n      id\n      nodeType\n      status\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n": typeof types.RunHeader_RunFragmentDoc,
    "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      __typename\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunHeader_run\n      errorSummary\n      tracePrunedAt\n      graphSnapshot\n      workflow {\n        id\n        graphJson\n      }\n      steps {\n        id\n        nodeId\n        nodeType\n        status\n        latencyMs\n        tokensInput\n        tokensOutput\n        tokensReasoning\n        usageSource\n        costCents\n        error\n        reused\n      }\n    }\n  }\n": typeof types.RunDocument,
    "\n  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {\n    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n      ... on InvalidRequestError {\n        message\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n": typeof types.RerunRunDocument,
    "\n  query StepOutput($id: ID!) {\n    step(id: $id) {\n      id\n      output\n    }\n  }\n": typeof types.StepOutputDocument,
    "\n  subscription RunEvents($runId: ID!, $afterSeq: Int) {\n    runEvents(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      kind\n      ts\n      stepId\n      payload\n    }\n  }\n": typeof types.RunEventsDocument,
    "\n  fragment RunRow_run on Run {\n    id\n    status\n    createdAt\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    errorSummary\n    steps {\n      nodeId\n      nodeType\n      status\n      latencyMs\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n": typeof types.RunRow_RunFragmentDoc,
    "\n  query Runs($workflowId: ID!, $status: RunStatus) {\n    workflow(id: $workflowId) {\n      id\n      name\n    }\n    runs(workflowId: $workflowId, status: $status, first: 100) {\n      edges {\n        node {\n          ...RunRow_run\n        }\n      }\n    }\n  }\n": typeof types.RunsDocument,
    "\n  query Version {\n    version {\n      name\n      version\n      gitSha\n    }\n  }\n": typeof types.VersionDocument,
    "\n  query Workflow($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      graphJson\n    }\n  }\n": typeof types.WorkflowDocument,
    "\n  query WorkflowVersions($id: ID!) {\n    workflow(id: $id) {\n      id\n      currentVersion\n      versions {\n        version\n        message\n        createdAt\n      }\n    }\n  }\n": typeof types.WorkflowVersionsDocument,
    "\n  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {\n    workflow(id: $id) {\n      id\n      versionDiff(from: $from, to: $to)\n    }\n  }\n": typeof types.WorkflowVersionDiffDocument,
    "\n  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {\n    restoreWorkflowVersion(id: $id, version: $version) {\n      __typename\n      ... on Workflow {\n        id\n        currentVersion\n        graphJson\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": typeof types.RestoreWorkflowVersionDocument,
    "\n  query Catalog {\n    providers {\n      name\n      simulated\n    }\n    pricing {\n      models {\n        provider\n        model\n        aliases\n      }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {\n    updateWorkflow(id: $id, input: $input) {\n      __typename\n      ... on Workflow {\n        id\n        name\n        graphJson\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": typeof types.UpdateWorkflowDocument,
    "\n  query ValidateWorkflow($graph: JSON!) {\n    validateWorkflow(graph: $graph) {\n      path\n      message\n    }\n  }\n": typeof types.ValidateWorkflowDocument,
    "\n  mutation StartRun($workflowId: ID!, $inputVars: JSON) {\n    startRun(workflowId: $workflowId, inputVars: $inputVars) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": typeof types.StartRunDocument,
    "\n  fragment WorkflowRow_workflow on Workflow {\n    id\n    name\n    description\n    nodeCount\n    updatedAt\n    graphJson\n    lastRun {\n      id\n      status\n      totalCostCents\n      costComplete\n      unpricedSteps\n    }\n  }\n": typeof types.WorkflowRow_WorkflowFragmentDoc,
    "\n  query Workflows($search: String) {\n    workflows(first: 100, search: $search) {\n      edges {\n        node {\n          ...WorkflowRow_workflow\n        }\n      }\n    }\n  }\n": typeof types.WorkflowsDocument,
    "\n  mutation CreateWorkflow($input: WorkflowInput!) {\n    createWorkflow(input: $input) {\n      __typename\n      ... on Workflow {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n": typeof types.CreateWorkflowDocument,
    "\n  mutation DeleteWorkflow($id: ID!) {\n    deleteWorkflow(id: $id) {\n      __typename\n    }\n  }\n": typeof types.DeleteWorkflowDocument,
};
const documents: Documents = {
    "\n  mutation DecideApproval($runId: ID!, $nodeId: String!, $decision: ApprovalDecision!, $comment: String) {\n    decideApproval(runId: $runId, nodeId: $nodeId, decision: $decision, comment: $comment) {\n      __typename\n      ... on Run {\n        id\n        status\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n": types.DecideApprovalDocument,
    "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      runId\n      nodeId\n      message\n      requestedAt\n      deadline\n      onTimeout\n      run {\n        id\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.PendingApprovalsDocument,
    "\n  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {\n    workflow(id: $id) {\n      id\n      name\n      metrics(range: $range) {\n        range\n        bucket\n        from\n        to\n        totals {\n          runs\n          succeeded\n          failed\n          p50LatencyMs\n          p95LatencyMs\n          costCents\n          unpricedSteps\n          llmSteps\n          cacheHits\n          cacheHitRate\n          savedCents\n          unpricedSavings\n          executedSteps\n          stepsWithRetries\n          retryRate\n          executedLlmSteps\n          stepsWithFallbacks\n          fallbackRate\n        }\n        series {\n          start\n          runs\n          succeeded\n          failed\n          canceled\n          active\n          p50LatencyMs\n          p95LatencyMs\n        }\n        costByModel {\n          start\n          model\n          costCents\n          steps\n          unpricedSteps\n        }\n        nodes {\n          nodeId\n          nodeType\n          runs\n          failures\n          failureRate\n          p95LatencyMs\n          meanCostCents\n          pricedRuns\n          slowestRunId\n          mostExpensiveRunId\n        }\n      }\n    }\n  }\n": types.WorkflowMetricsDocument,
    "\n  query RunDiff($id: ID!, $against: ID!) {\n    run(id: $id) {\n      id\n      workflow {\n        id\n        name\n      }\n      diff(against: $against)\n    }\n  }\n": types.RunDiffDocument,
    "\n  fragment RunHeader_run on Run {\n    id\n    status\n    workflowId\n    workflow {\n      id\n      name\n    }\n    startedAt\n    finishedAt\n    rerunFromNode\n    savedCostCents\n    parent {\n      id\n    }\n    children {\n      id\n      status\n    }\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    steps {\n      id\n      nodeType\n      status\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n": types.RunHeader_RunFragmentDoc,
    "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      __typename\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n": types.CancelRunDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunHeader_run\n      errorSummary\n      tracePrunedAt\n      graphSnapshot\n      workflow {\n        id\n        graphJson\n      }\n      steps {\n        id\n        nodeId\n        nodeType\n        status\n        latencyMs\n        tokensInput\n        tokensOutput\n        tokensReasoning\n        usageSource\n        costCents\n        error\n        reused\n      }\n    }\n  }\n": types.RunDocument,
    "\n  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {\n    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n      ... on InvalidRequestError {\n        message\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n": types.RerunRunDocument,
    "\n  query StepOutput($id: ID!) {\n    step(id: $id) {\n      id\n      output\n    }\n  }\n": types.StepOutputDocument,
    "\n  subscription RunEvents($runId: ID!, $afterSeq: Int) {\n    runEvents(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      kind\n      ts\n      stepId\n      payload\n    }\n  }\n": types.RunEventsDocument,
    "\n  fragment RunRow_run on Run {\n    id\n    status\n    createdAt\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    errorSummary\n    steps {\n      nodeId\n      nodeType\n      status\n      latencyMs\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n": types.RunRow_RunFragmentDoc,
    "\n  query Runs($workflowId: ID!, $status: RunStatus) {\n    workflow(id: $workflowId) {\n      id\n      name\n    }\n    runs(workflowId: $workflowId, status: $status, first: 100) {\n      edges {\n        node {\n          ...RunRow_run\n        }\n      }\n    }\n  }\n": types.RunsDocument,
    "\n  query Version {\n    version {\n      name\n      version\n      gitSha\n    }\n  }\n": types.VersionDocument,
    "\n  query Workflow($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      graphJson\n    }\n  }\n": types.WorkflowDocument,
    "\n  query WorkflowVersions($id: ID!) {\n    workflow(id: $id) {\n      id\n      currentVersion\n      versions {\n        version\n        message\n        createdAt\n      }\n    }\n  }\n": types.WorkflowVersionsDocument,
    "\n  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {\n    workflow(id: $id) {\n      id\n      versionDiff(from: $from, to: $to)\n    }\n  }\n": types.WorkflowVersionDiffDocument,
    "\n  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {\n    restoreWorkflowVersion(id: $id, version: $version) {\n      __typename\n      ... on Workflow {\n        id\n        currentVersion\n        graphJson\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": types.RestoreWorkflowVersionDocument,
    "\n  query Catalog {\n    providers {\n      name\n      simulated\n    }\n    pricing {\n      models {\n        provider\n        model\n        aliases\n      }\n    }\n  }\n": types.CatalogDocument,
    "\n  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {\n    updateWorkflow(id: $id, input: $input) {\n      __typename\n      ... on Workflow {\n        id\n        name\n        graphJson\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": types.UpdateWorkflowDocument,
    "\n  query ValidateWorkflow($graph: JSON!) {\n    validateWorkflow(graph: $graph) {\n      path\n      message\n    }\n  }\n": types.ValidateWorkflowDocument,
    "\n  mutation StartRun($workflowId: ID!, $inputVars: JSON) {\n    startRun(workflowId: $workflowId, inputVars: $inputVars) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n": types.StartRunDocument,
    "\n  fragment WorkflowRow_workflow on Workflow {\n    id\n    name\n    description\n    nodeCount\n    updatedAt\n    graphJson\n    lastRun {\n      id\n      status\n      totalCostCents\n      costComplete\n      unpricedSteps\n    }\n  }\n": types.WorkflowRow_WorkflowFragmentDoc,
    "\n  query Workflows($search: String) {\n    workflows(first: 100, search: $search) {\n      edges {\n        node {\n          ...WorkflowRow_workflow\n        }\n      }\n    }\n  }\n": types.WorkflowsDocument,
    "\n  mutation CreateWorkflow($input: WorkflowInput!) {\n    createWorkflow(input: $input) {\n      __typename\n      ... on Workflow {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n": types.CreateWorkflowDocument,
    "\n  mutation DeleteWorkflow($id: ID!) {\n    deleteWorkflow(id: $id) {\n      __typename\n    }\n  }\n": types.DeleteWorkflowDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DecideApproval($runId: ID!, $nodeId: String!, $decision: ApprovalDecision!, $comment: String) {\n    decideApproval(runId: $runId, nodeId: $nodeId, decision: $decision, comment: $comment) {\n      __typename\n      ... on Run {\n        id\n        status\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DecideApproval($runId: ID!, $nodeId: String!, $decision: ApprovalDecision!, $comment: String) {\n    decideApproval(runId: $runId, nodeId: $nodeId, decision: $decision, comment: $comment) {\n      __typename\n      ... on Run {\n        id\n        status\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      runId\n      nodeId\n      message\n      requestedAt\n      deadline\n      onTimeout\n      run {\n        id\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      runId\n      nodeId\n      message\n      requestedAt\n      deadline\n      onTimeout\n      run {\n        id\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {\n    workflow(id: $id) {\n      id\n      name\n      metrics(range: $range) {\n        range\n        bucket\n        from\n        to\n        totals {\n          runs\n          succeeded\n          failed\n          p50LatencyMs\n          p95LatencyMs\n          costCents\n          unpricedSteps\n          llmSteps\n          cacheHits\n          cacheHitRate\n          savedCents\n          unpricedSavings\n          executedSteps\n          stepsWithRetries\n          retryRate\n          executedLlmSteps\n          stepsWithFallbacks\n          fallbackRate\n        }\n        series {\n          start\n          runs\n          succeeded\n          failed\n          canceled\n          active\n          p50LatencyMs\n          p95LatencyMs\n        }\n        costByModel {\n          start\n          model\n          costCents\n          steps\n          unpricedSteps\n        }\n        nodes {\n          nodeId\n          nodeType\n          runs\n          failures\n          failureRate\n          p95LatencyMs\n          meanCostCents\n          pricedRuns\n          slowestRunId\n          mostExpensiveRunId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkflowMetrics($id: ID!, $range: MetricsRange!) {\n    workflow(id: $id) {\n      id\n      name\n      metrics(range: $range) {\n        range\n        bucket\n        from\n        to\n        totals {\n          runs\n          succeeded\n          failed\n          p50LatencyMs\n          p95LatencyMs\n          costCents\n          unpricedSteps\n          llmSteps\n          cacheHits\n          cacheHitRate\n          savedCents\n          unpricedSavings\n          executedSteps\n          stepsWithRetries\n          retryRate\n          executedLlmSteps\n          stepsWithFallbacks\n          fallbackRate\n        }\n        series {\n          start\n          runs\n          succeeded\n          failed\n          canceled\n          active\n          p50LatencyMs\n          p95LatencyMs\n        }\n        costByModel {\n          start\n          model\n          costCents\n          steps\n          unpricedSteps\n        }\n        nodes {\n          nodeId\n          nodeType\n          runs\n          failures\n          failureRate\n          p95LatencyMs\n          meanCostCents\n          pricedRuns\n          slowestRunId\n          mostExpensiveRunId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunDiff($id: ID!, $against: ID!) {\n    run(id: $id) {\n      id\n      workflow {\n        id\n        name\n      }\n      diff(against: $against)\n    }\n  }\n"): (typeof documents)["\n  query RunDiff($id: ID!, $against: ID!) {\n    run(id: $id) {\n      id\n      workflow {\n        id\n        name\n      }\n      diff(against: $against)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunHeader_run on Run {\n    id\n    status\n    workflowId\n    workflow {\n      id\n      name\n    }\n    startedAt\n    finishedAt\n    rerunFromNode\n    savedCostCents\n    parent {\n      id\n    }\n    children {\n      id\n      status\n    }\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    steps {\n      id\n      nodeType\n      status\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n"): (typeof documents)["\n  fragment RunHeader_run on Run {\n    id\n    status\n    workflowId\n    workflow {\n      id\n      name\n    }\n    startedAt\n    finishedAt\n    rerunFromNode\n    savedCostCents\n    parent {\n      id\n    }\n    children {\n      id\n      status\n    }\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    steps {\n      id\n      nodeType\n      status\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      __typename\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      __typename\n      ... on ConflictError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunHeader_run\n      errorSummary\n      tracePrunedAt\n      graphSnapshot\n      workflow {\n        id\n        graphJson\n      }\n      steps {\n        id\n        nodeId\n        nodeType\n        status\n        latencyMs\n        tokensInput\n        tokensOutput\n        tokensReasoning\n        usageSource\n        costCents\n        error\n        reused\n      }\n    }\n  }\n"): (typeof documents)["\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunHeader_run\n      errorSummary\n      tracePrunedAt\n      graphSnapshot\n      workflow {\n        id\n        graphJson\n      }\n      steps {\n        id\n        nodeId\n        nodeType\n        status\n        latencyMs\n        tokensInput\n        tokensOutput\n        tokensReasoning\n        usageSource\n        costCents\n        error\n        reused\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {\n    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n      ... on InvalidRequestError {\n        message\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RerunRun($runId: ID!, $fromNode: String!, $overrides: JSON) {\n    rerunRun(runId: $runId, fromNode: $fromNode, overrides: $overrides) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on NotFoundError {\n        message\n      }\n      ... on ConflictError {\n        message\n      }\n      ... on InvalidRequestError {\n        message\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StepOutput($id: ID!) {\n    step(id: $id) {\n      id\n      output\n    }\n  }\n"): (typeof documents)["\n  query StepOutput($id: ID!) {\n    step(id: $id) {\n      id\n      output\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunEvents($runId: ID!, $afterSeq: Int) {\n    runEvents(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      kind\n      ts\n      stepId\n      payload\n    }\n  }\n"): (typeof documents)["\n  subscription RunEvents($runId: ID!, $afterSeq: Int) {\n    runEvents(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      kind\n      ts\n      stepId\n      payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRow_run on Run {\n    id\n    status\n    createdAt\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    errorSummary\n    steps {\n      nodeId\n      nodeType\n      status\n      latencyMs\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n"): (typeof documents)["\n  fragment RunRow_run on Run {\n    id\n    status\n    createdAt\n    totalTokens\n    totalCostCents\n    costComplete\n    unpricedSteps\n    totalLatencyMs\n    errorSummary\n    steps {\n      nodeId\n      nodeType\n      status\n      latencyMs\n      tokensInput\n      tokensOutput\n      usageSource\n      costCents\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs($workflowId: ID!, $status: RunStatus) {\n    workflow(id: $workflowId) {\n      id\n      name\n    }\n    runs(workflowId: $workflowId, status: $status, first: 100) {\n      edges {\n        node {\n          ...RunRow_run\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Runs($workflowId: ID!, $status: RunStatus) {\n    workflow(id: $workflowId) {\n      id\n      name\n    }\n    runs(workflowId: $workflowId, status: $status, first: 100) {\n      edges {\n        node {\n          ...RunRow_run\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Version {\n    version {\n      name\n      version\n      gitSha\n    }\n  }\n"): (typeof documents)["\n  query Version {\n    version {\n      name\n      version\n      gitSha\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workflow($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      graphJson\n    }\n  }\n"): (typeof documents)["\n  query Workflow($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      graphJson\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowVersions($id: ID!) {\n    workflow(id: $id) {\n      id\n      currentVersion\n      versions {\n        version\n        message\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkflowVersions($id: ID!) {\n    workflow(id: $id) {\n      id\n      currentVersion\n      versions {\n        version\n        message\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {\n    workflow(id: $id) {\n      id\n      versionDiff(from: $from, to: $to)\n    }\n  }\n"): (typeof documents)["\n  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {\n    workflow(id: $id) {\n      id\n      versionDiff(from: $from, to: $to)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {\n    restoreWorkflowVersion(id: $id, version: $version) {\n      __typename\n      ... on Workflow {\n        id\n        currentVersion\n        graphJson\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {\n    restoreWorkflowVersion(id: $id, version: $version) {\n      __typename\n      ... on Workflow {\n        id\n        currentVersion\n        graphJson\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog {\n    providers {\n      name\n      simulated\n    }\n    pricing {\n      models {\n        provider\n        model\n        aliases\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalog {\n    providers {\n      name\n      simulated\n    }\n    pricing {\n      models {\n        provider\n        model\n        aliases\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {\n    updateWorkflow(id: $id, input: $input) {\n      __typename\n      ... on Workflow {\n        id\n        name\n        graphJson\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {\n    updateWorkflow(id: $id, input: $input) {\n      __typename\n      ... on Workflow {\n        id\n        name\n        graphJson\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValidateWorkflow($graph: JSON!) {\n    validateWorkflow(graph: $graph) {\n      path\n      message\n    }\n  }\n"): (typeof documents)["\n  query ValidateWorkflow($graph: JSON!) {\n    validateWorkflow(graph: $graph) {\n      path\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRun($workflowId: ID!, $inputVars: JSON) {\n    startRun(workflowId: $workflowId, inputVars: $inputVars) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartRun($workflowId: ID!, $inputVars: JSON) {\n    startRun(workflowId: $workflowId, inputVars: $inputVars) {\n      __typename\n      ... on Run {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on NotFoundError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkflowRow_workflow on Workflow {\n    id\n    name\n    description\n    nodeCount\n    updatedAt\n    graphJson\n    lastRun {\n      id\n      status\n      totalCostCents\n      costComplete\n      unpricedSteps\n    }\n  }\n"): (typeof documents)["\n  fragment WorkflowRow_workflow on Workflow {\n    id\n    name\n    description\n    nodeCount\n    updatedAt\n    graphJson\n    lastRun {\n      id\n      status\n      totalCostCents\n      costComplete\n      unpricedSteps\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workflows($search: String) {\n    workflows(first: 100, search: $search) {\n      edges {\n        node {\n          ...WorkflowRow_workflow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Workflows($search: String) {\n    workflows(first: 100, search: $search) {\n      edges {\n        node {\n          ...WorkflowRow_workflow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWorkflow($input: WorkflowInput!) {\n    createWorkflow(input: $input) {\n      __typename\n      ... on Workflow {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWorkflow($input: WorkflowInput!) {\n    createWorkflow(input: $input) {\n      __typename\n      ... on Workflow {\n        id\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWorkflow($id: ID!) {\n    deleteWorkflow(id: $id) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteWorkflow($id: ID!) {\n    deleteWorkflow(id: $id) {\n      __typename\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;