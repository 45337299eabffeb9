// The STS SDK, imported only when a group's config names a role to assume.
export { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
