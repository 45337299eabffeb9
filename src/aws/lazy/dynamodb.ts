// The DynamoDB SDK, imported only by a run whose state is in a table (--state-table, the Lambda handler).
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
