/** strerror() text for the errors a file open or write can give, as Redis prints them. */
export function systemErrorText(failure: unknown): string {
  const code = (failure as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'ELOOP': return 'Too many levels of symbolic links';
    case 'ENAMETOOLONG': return 'File name too long';
    case 'ENOSPC': return 'No space left on device';
    case 'EDQUOT': return 'Disk quota exceeded';
    case 'EROFS': return 'Read-only file system';
    case 'EIO': return 'Input/output error';
    case 'EFBIG': return 'File too large';
    case 'EADDRINUSE': return 'Address already in use';
    case 'EADDRNOTAVAIL': return 'Cannot assign requested address';
    default: return failure instanceof Error ? failure.message : String(failure);
  }
}
