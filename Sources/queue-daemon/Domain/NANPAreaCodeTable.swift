/// North American Numbering Plan (`+1`): area code → IANA zone(s), data in the code (DESIGN §11).
/// An area code that spans a zone border lists both zones (the lead is then called only when the
/// window is open in both). Non-geographic codes (toll-free 8XX, 500, 900…) are absent: unknown.

enum NANPAreaCodeTable {
    /// "Zone|Zone:code code …" lines.
    private static let data = """
        America/New_York:201 202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 267 269 272 276 283 \
        301 302 304 305 313 315 321 324 326 329 330 332 336 339 347 351 352 363 380 386 401 404 407 410 412 413 419 \
        434 436 440 443 445 470 472 475 478 484 502 508 513 516 517 518 540 551 561 567 570 571 574 582 585 586 603 \
        606 607 609 610 614 616 617 624 631 640 645 646 656 667 678 679 680 681 686 689 703 704 706 716 717 718 724 \
        727 728 732 734 740 743 754 757 762 770 771 772 774 781 786 802 803 804 810 813 814 821 826 828 835 838 839 \
        843 845 848 854 856 857 858 859 860 862 863 864 865 878 904 908 910 912 914 917 919 929 934 937 941 943 947 \
        948 954 959 973 978 980 984 989 423 906
        America/Indiana/Indianapolis:317 463 260 765
        America/Indiana/Indianapolis|America/Chicago:219 812 930
        America/New_York|America/Chicago:850 448
        America/Chicago:205 251 256 334 659 938 479 501 870 327 217 224 309 312 331 447 464 618 630 708 730 773 779 \
        815 847 861 872 319 515 563 641 712 316 620 785 913 225 318 337 504 985 218 320 507 612 651 763 952 228 601 \
        662 769 314 417 557 573 636 660 816 975 402 531 701 405 539 572 580 918 210 214 254 281 325 346 361 409 430 \
        432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 262 274 414 534 608 715 920 270 364 \
        615 629 731 901 931
        America/Chicago|America/Denver:308 605
        America/Denver:303 719 720 970 983 406 505 575 385 435 801 307 915
        America/Boise|America/Los_Angeles:208 986
        America/Phoenix:480 520 602 623 928
        America/Los_Angeles:209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 \
        669 707 714 747 760 805 818 820 831 840 909 916 925 949 951 702 725 775 458 503 541 971 206 253 360 425 509 564
        America/Anchorage:907
        Pacific/Honolulu:808
        America/Toronto:226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 263 354 367 418 438 450 \
        468 514 579 581 819 873
        America/Toronto|America/Winnipeg:807
        America/Halifax:782 902 428 506
        America/St_Johns:709
        America/Winnipeg:204 431 584
        America/Regina:306 474 639
        America/Edmonton:368 403 587 780 825
        America/Vancouver:236 250 604 672 778
        America/Whitehorse|America/Edmonton|America/Iqaluit:867
        America/Nassau:242
        America/Barbados:246
        America/Anguilla:264
        America/Antigua:268
        America/Tortola:284
        America/St_Thomas:340
        America/Cayman:345
        Atlantic/Bermuda:441
        America/Grenada:473
        America/Grand_Turk:649
        America/Jamaica:658 876
        America/Montserrat:664
        Pacific/Saipan:670
        Pacific/Guam:671
        Pacific/Pago_Pago:684
        America/Lower_Princes:721
        America/St_Lucia:758
        America/Dominica:767
        America/St_Vincent:784
        America/Puerto_Rico:787 939
        America/Santo_Domingo:809 829 849
        America/Port_of_Spain:868
        America/St_Kitts:869
        """

    /// Area code (3 digits) → zones.
    static let zones: [String: [String]] = {
        var table: [String: [String]] = [:]
        for line in data.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2 else { continue }
            let zones = parts[0].split(separator: "|").map(String.init)
            for code in parts[1].split(separator: " ") { table[String(code)] = zones }
        }
        return table
    }()
}
