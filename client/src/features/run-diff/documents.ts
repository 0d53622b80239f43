/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

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
