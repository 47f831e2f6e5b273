"""公文 (documents): what 发文 and 收文 share (records), the steps of each flow (outgoing, incoming), a
document's window (detail), its printed facts (printed), the registers and the quarterly 通报 (reports,
notice) and archiving (archives)."""
