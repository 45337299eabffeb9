// What a tick uses of the EC2 SDK, as one small module to import on demand: importing the package
// itself on demand would keep every one of its commands in the bundle.
export { EC2Client, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
