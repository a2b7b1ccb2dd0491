// GraphQL documents progressor sends to GitHub. Each is validated against GitHub's published
// schema by the test emulator (test/emulator), so a wrong field fails in tests as on GitHub.

const PULL_FIELDS = `
  number
  title
  state
  mergedAt
  url
  statusCheckRollup { state }
`;

/**
 * One issue with everything an audit reads. Comments and timeline are paginated together:
 * page N fetches only the connections that still have pages (`@include`), so an issue with
 * 250 comments and a 100-item timeline costs 3 requests.
 */
export const ISSUE_QUERY = `
query ProgressorIssue(
  $owner: String!, $name: String!, $number: Int!,
  $withIssue: Boolean!,
  $withComments: Boolean!, $commentsAfter: String,
  $withTimeline: Boolean!, $timelineAfter: String
) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      number
      title @include(if: $withIssue)
      body @include(if: $withIssue)
      state @include(if: $withIssue)
      stateReason @include(if: $withIssue)
      url @include(if: $withIssue)
      createdAt @include(if: $withIssue)
      updatedAt @include(if: $withIssue)
      closedAt @include(if: $withIssue)
      author @include(if: $withIssue) { login }
      labels(first: 100) @include(if: $withIssue) { nodes { name } }
      comments(first: 100, after: $commentsAfter) @include(if: $withComments) {
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId
          author { __typename login }
          authorAssociation
          body
          createdAt
          updatedAt
          url
        }
      }
      timelineItems(
        first: 100, after: $timelineAfter,
        itemTypes: [CROSS_REFERENCED_EVENT, CONNECTED_EVENT, CLOSED_EVENT, LABELED_EVENT, UNLABELED_EVENT]
      ) @include(if: $withTimeline) {
        pageInfo { hasNextPage endCursor }
        nodes {
          __typename
          ... on CrossReferencedEvent {
            createdAt
            willCloseTarget
            source { __typename ... on PullRequest { ${PULL_FIELDS} } }
          }
          ... on ConnectedEvent {
            createdAt
            subject { __typename ... on PullRequest { ${PULL_FIELDS} } }
          }
          ... on ClosedEvent {
            createdAt
            stateReason
            actor { __typename login }
            closer { __typename ... on PullRequest { ${PULL_FIELDS} } }
          }
          ... on LabeledEvent { createdAt actor { __typename login } label { name } }
          ... on UnlabeledEvent { createdAt actor { __typename login } label { name } }
        }
      }
    }
  }
}`;

/** Label events only (the claim protocol's re-read), oldest first. */
export const LABEL_EVENTS_QUERY = `
query ProgressorLabelEvents($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      timelineItems(first: 100, after: $after, itemTypes: [LABELED_EVENT, UNLABELED_EVENT]) {
        pageInfo { hasNextPage endCursor }
        nodes {
          __typename
          ... on LabeledEvent { createdAt actor { __typename login } label { name } }
          ... on UnlabeledEvent { createdAt actor { __typename login } label { name } }
        }
      }
    }
  }
}`;

/** The most recent comments, to check whether a write whose answer was lost took effect. */
export const RECENT_COMMENTS_QUERY = `
query ProgressorRecentComments($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      comments(last: 100) { nodes { databaseId author { __typename login } body } }
    }
  }
}`;

/** Open issues, most recently updated first (`progressor next`). */
export const OPEN_ISSUES_QUERY = `
query ProgressorOpenIssues($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, states: [OPEN], orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { number title updatedAt labels(first: 100) { nodes { name } } }
    }
  }
}`;

export const VIEWER_QUERY = `query ProgressorViewer { viewer { login } }`;

/** Pull requests from one head branch, newest first: how a resumed run finds its PR. */
export const PULLS_BY_HEAD_QUERY = `
query ProgressorPullsByHead($owner: String!, $name: String!, $head: String!) {
  repository(owner: $owner, name: $name) {
    pullRequests(headRefName: $head, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { number url state isDraft headRefName baseRefName title body statusCheckRollup { state } }
    }
  }
}`;
