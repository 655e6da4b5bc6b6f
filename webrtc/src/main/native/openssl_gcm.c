/*
 * AES-128-GCM for SRTP (RFC 7714) on OpenSSL's libcrypto, called from
 * org.adam.sfu.webrtc.srtp.OpensslGcm. One context holds an encrypting and a decrypting EVP
 * context, both keyed once; each packet only sets its IV. The Java side checks every offset and
 * length against the array before calling in, so nothing here trusts them blindly either: a bad
 * call returns an error instead of touching memory outside the array.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define TAG_LENGTH 16
#define IV_LENGTH 12
/* Decryption goes to this much stack first, so a packet failing its tag is left as it came. */
#define STACK_SCRATCH 2048

typedef struct {
    EVP_CIPHER_CTX *seal;
    EVP_CIPHER_CTX *open;
} gcm_context;

static void free_context(gcm_context *context) {
    if (context == NULL) {
        return;
    }
    EVP_CIPHER_CTX_free(context->seal);
    EVP_CIPHER_CTX_free(context->open);
    free(context);
}

static int in_bounds(jint offset, jint length, jsize size) {
    return offset >= 0 && length >= 0 && (int64_t) offset + length <= size;
}

JNIEXPORT jlong JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_create(JNIEnv *env, jclass type, jbyteArray key) {
    if ((*env)->GetArrayLength(env, key) != 16) {
        return 0;
    }
    unsigned char raw[16];
    (*env)->GetByteArrayRegion(env, key, 0, 16, (jbyte *) raw);
    gcm_context *context = calloc(1, sizeof(gcm_context));
    if (context == NULL) {
        return 0;
    }
    context->seal = EVP_CIPHER_CTX_new();
    context->open = EVP_CIPHER_CTX_new();
    int ok = context->seal != NULL && context->open != NULL
            && EVP_EncryptInit_ex(context->seal, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1
            && EVP_CIPHER_CTX_ctrl(context->seal, EVP_CTRL_GCM_SET_IVLEN, IV_LENGTH, NULL) == 1
            && EVP_EncryptInit_ex(context->seal, NULL, NULL, raw, NULL) == 1
            && EVP_DecryptInit_ex(context->open, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1
            && EVP_CIPHER_CTX_ctrl(context->open, EVP_CTRL_GCM_SET_IVLEN, IV_LENGTH, NULL) == 1
            && EVP_DecryptInit_ex(context->open, NULL, NULL, raw, NULL) == 1;
    OPENSSL_cleanse(raw, sizeof(raw));
    if (!ok) {
        free_context(context);
        return 0;
    }
    return (jlong) (intptr_t) context;
}

JNIEXPORT void JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_destroy(JNIEnv *env, jclass type, jlong handle) {
    free_context((gcm_context *) (intptr_t) handle);
}

/* Seals text in place, the tag right after it. Returns 1 when sealed. */
static int seal_parts(gcm_context *context, const unsigned char *iv, const unsigned char *aad, jint aadLength,
        unsigned char *text, jint textLength) {
    int length = 0;
    return EVP_EncryptInit_ex(context->seal, NULL, NULL, NULL, iv) == 1
            && (aadLength == 0 || EVP_EncryptUpdate(context->seal, NULL, &length, aad, aadLength) == 1)
            && (textLength == 0 || EVP_EncryptUpdate(context->seal, text, &length, text, textLength) == 1)
            && EVP_EncryptFinal_ex(context->seal, text + textLength, &length) == 1
            && EVP_CIPHER_CTX_ctrl(context->seal, EVP_CTRL_GCM_GET_TAG, TAG_LENGTH, text + textLength) == 1;
}

/*
 * Checks the tag after the text and decrypts in place. Decryption goes to scratch memory first,
 * so a packet failing its tag is left as it came. Returns 1 when the tag matched.
 */
static int open_parts(gcm_context *context, const unsigned char *iv, const unsigned char *aad, jint aadLength,
        unsigned char *text, jint textLength) {
    unsigned char stack[STACK_SCRATCH];
    unsigned char *plain = textLength <= STACK_SCRATCH ? stack : malloc(textLength);
    if (plain == NULL) {
        return 0;
    }
    int length = 0;
    int ok = EVP_DecryptInit_ex(context->open, NULL, NULL, NULL, iv) == 1
            && (aadLength == 0 || EVP_DecryptUpdate(context->open, NULL, &length, aad, aadLength) == 1)
            && (textLength == 0 || EVP_DecryptUpdate(context->open, plain, &length, text, textLength) == 1)
            && EVP_CIPHER_CTX_ctrl(context->open, EVP_CTRL_GCM_SET_TAG, TAG_LENGTH, text + textLength) == 1
            && EVP_DecryptFinal_ex(context->open, plain + textLength, &length) == 1;
    if (ok) {
        memcpy(text, plain, textLength);
    }
    OPENSSL_cleanse(plain, textLength);
    if (plain != stack) {
        free(plain);
    }
    return ok;
}

typedef int (*gcm_operation)(gcm_context *, const unsigned char *, const unsigned char *, jint, unsigned char *, jint);

/* On a Java array: buf[aad, +aadLength) authenticated, buf[text, +textLength) and the tag after it. */
static jint on_array(JNIEnv *env, jlong handle, jbyteArray ivArray, jbyteArray bufArray, jint aad, jint aadLength,
        jint text, jint textLength, gcm_operation operation) {
    gcm_context *context = (gcm_context *) (intptr_t) handle;
    jsize size = (*env)->GetArrayLength(env, bufArray);
    if (context == NULL || (*env)->GetArrayLength(env, ivArray) != IV_LENGTH
            || !in_bounds(aad, aadLength, size) || !in_bounds(text, textLength + TAG_LENGTH, size)) {
        return 0;
    }
    unsigned char iv[IV_LENGTH];
    (*env)->GetByteArrayRegion(env, ivArray, 0, IV_LENGTH, (jbyte *) iv);
    unsigned char *buf = (*env)->GetPrimitiveArrayCritical(env, bufArray, NULL);
    if (buf == NULL) {
        return 0;
    }
    int ok = operation(context, iv, buf + aad, aadLength, buf + text, textLength);
    (*env)->ReleasePrimitiveArrayCritical(env, bufArray, buf, 0);
    return ok;
}

/* On native memory (a direct buffer): [aad][text][tag] from the address, its size checked by the caller. */
static jint on_memory(JNIEnv *env, jlong handle, jbyteArray ivArray, jlong address, jint aadLength, jint textLength,
        gcm_operation operation) {
    gcm_context *context = (gcm_context *) (intptr_t) handle;
    if (context == NULL || address == 0 || aadLength < 0 || textLength < 0
            || (*env)->GetArrayLength(env, ivArray) != IV_LENGTH) {
        return 0;
    }
    unsigned char iv[IV_LENGTH];
    (*env)->GetByteArrayRegion(env, ivArray, 0, IV_LENGTH, (jbyte *) iv);
    unsigned char *region = (unsigned char *) (intptr_t) address;
    return operation(context, iv, region, aadLength, region + aadLength, textLength);
}

JNIEXPORT jint JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_seal(JNIEnv *env, jclass type, jlong handle,
        jbyteArray iv, jbyteArray buf, jint aad, jint aadLength, jint text, jint textLength) {
    return on_array(env, handle, iv, buf, aad, aadLength, text, textLength, seal_parts);
}

JNIEXPORT jint JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_open(JNIEnv *env, jclass type, jlong handle,
        jbyteArray iv, jbyteArray buf, jint aad, jint aadLength, jint text, jint textLength) {
    return on_array(env, handle, iv, buf, aad, aadLength, text, textLength, open_parts);
}

JNIEXPORT jint JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_sealAt(JNIEnv *env, jclass type, jlong handle,
        jbyteArray iv, jlong address, jint aadLength, jint textLength) {
    return on_memory(env, handle, iv, address, aadLength, textLength, seal_parts);
}

JNIEXPORT jint JNICALL Java_org_adam_sfu_webrtc_srtp_OpensslGcm_openAt(JNIEnv *env, jclass type, jlong handle,
        jbyteArray iv, jlong address, jint aadLength, jint textLength) {
    return on_memory(env, handle, iv, address, aadLength, textLength, open_parts);
}
