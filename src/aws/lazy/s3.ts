// The S3 SDK, imported only by the Lambda handler reading its config from s3://BUCKET/KEY.
export { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
