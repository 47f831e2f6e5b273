"""公文 (documents): the use cases of 发文, 收文, their detail, printed facts, reports and archiving."""
