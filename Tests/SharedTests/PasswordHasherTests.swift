import XCTest
@testable import Shared

final class PasswordHasherTests: XCTestCase {
    func testHashIsYescryptAndVerifies() throws {
        let hash = try PasswordHasher.hash("correct horse")
        XCTAssertTrue(hash.hasPrefix("$y$"), hash)
        XCTAssertTrue(PasswordHasher.verify("correct horse", hash: hash))
        XCTAssertFalse(PasswordHasher.verify("correct horsE", hash: hash))
        XCTAssertFalse(PasswordHasher.verify("", hash: hash))
        XCTAssertFalse(PasswordHasher.needsRehash(hash))
    }

    func testTwoHashesOfOnePasswordDiffer() throws {
        let a = try PasswordHasher.hash("secret1")
        let b = try PasswordHasher.hash("secret1")
        XCTAssertNotEqual(a, b)
        XCTAssertTrue(PasswordHasher.verify("secret1", hash: a))
        XCTAssertTrue(PasswordHasher.verify("secret1", hash: b))
    }

    func testUnicodePassword() throws {
        let hash = try PasswordHasher.hash("пароль-ñ-密码")
        XCTAssertTrue(PasswordHasher.verify("пароль-ñ-密码", hash: hash))
        XCTAssertFalse(PasswordHasher.verify("пароль-n-密码", hash: hash))
    }

    func testKnownYescryptHashFromLibxcrypt() {
        // Computed once with libxcrypt (Debian's) for this setting; stored hashes must keep verifying.
        let hash = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$tnSYvahCwPBHKZUspmcxMfb0.WiB9W.zEaKlOBL35rC"
        XCTAssertTrue(PasswordHasher.verify("password", hash: hash))
        XCTAssertFalse(PasswordHasher.verify("Password", hash: hash))
    }

    func testMalformedAndLockedHashesNeverVerify() {
        for bad in ["", "*", "*0", "!$y$j9T$abc$def", "$y$", "$y$garbage", "$9$nope", "plain"] {
            XCTAssertFalse(PasswordHasher.verify("password", hash: bad), bad)
        }
    }

    func testMaxPasswordLength() throws {
        let longest = String(repeating: "a", count: 256)
        let hash = try PasswordHasher.hash(longest)
        XCTAssertTrue(PasswordHasher.verify(longest, hash: hash))
        XCTAssertThrowsError(try PasswordHasher.hash(longest + "a")) {
            XCTAssertEqual($0 as? PasswordHasherError, .passwordTooLong)
        }
        XCTAssertFalse(PasswordHasher.verify(longest + "a", hash: hash))
    }

    func testNULByteIsRejectedInsteadOfTruncating() throws {
        XCTAssertThrowsError(try PasswordHasher.hash("abc\u{0}def")) {
            XCTAssertEqual($0 as? PasswordHasherError, .passwordContainsNUL)
        }
        let hash = try PasswordHasher.hash("abc")
        XCTAssertFalse(PasswordHasher.verify("abc\u{0}def", hash: hash))
    }

    func testOtherAlgorithmsVerifyButNeedRehash() {
        // SHA-512-crypt vector from the glibc/libxcrypt test suite.
        let sha512 = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
        XCTAssertTrue(PasswordHasher.verify("Hello world!", hash: sha512))
        XCTAssertTrue(PasswordHasher.needsRehash(sha512))
        // bcrypt (what the earlier Node.js system stored), Openwall crypt_blowfish test vector.
        let bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
        XCTAssertTrue(PasswordHasher.verify("U*U", hash: bcrypt))
        XCTAssertFalse(PasswordHasher.verify("U*V", hash: bcrypt))
        XCTAssertTrue(PasswordHasher.needsRehash(bcrypt))
    }
}
