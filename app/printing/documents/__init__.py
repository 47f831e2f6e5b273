"""公文's forms: 发文稿纸 (outgoing_draft), 收文处理笺 (incoming_slip), 收文登记簿 (receipt_register), 归档章
and 归档文件目录 (archive_forms), and the quarterly 通报 (notice)."""
