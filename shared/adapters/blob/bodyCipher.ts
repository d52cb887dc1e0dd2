import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks an encrypted body: a blob without it was written before bodies were encrypted and is read as it is. */
export const CIPHER_METADATA = { encryption: 'aes256gcm-v1' } as const;

const IV_BYTES = 12;
const TAG_BYTES = 16;

export const newDataKey = (): Uint8Array => randomBytes(32);

/** AES-256-GCM: iv ‖ tag ‖ ciphertext. */
export function sealBody(key: Uint8Array, plain: Uint8Array): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

export function openBody(key: Uint8Array, sealed: Uint8Array): Uint8Array {
    const bytes = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
