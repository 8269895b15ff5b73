// The data file: loading, saving, merging, backups. Plain Node (shared by the CLI).
export { LoyalStore, type StoreState, type StoreOptions, type FileIndex } from './store';
export { type Transaction, type InsertInput } from './transaction';
export { serialiseFile, serialiseChunks, canonicalFile, compareIds } from './serialise';
export { parseFileText, parseFileBytes, LARGE_FILE_BYTES } from './parse';
export { findConflictMarkers } from './jsonErrors';
export { mergeFiles, mergeDriver, resolveConflictMarkers, type MergeConflict, type MergeResult, type ConflictReason } from './merge';
export { DataFileError, ValidationError, type DataFileErrorKind, type DataFileProblem, type ValidationIssue } from './errors';
export { backupFolderOf, listBackups, lockPathOf, writeConflictBackups } from './backups';
